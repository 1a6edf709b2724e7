import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// `source` resolves the workspace packages (contracts, link parsers) to their TypeScript, as the services do.
export default defineConfig({
  plugins: [vue()],
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  server: {
    // `npm run dev -w web` beside `npm start`: the web gateway answers /api as it does in production.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      // zod's sources carry comments Rollup cannot place; it drops them, harmlessly, and says so for each.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
  },
});
