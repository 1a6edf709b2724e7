// ESLint flat config, kept under scripts/ so the top level holds only what DESIGN.md lists.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import { readFileSync, statSync } from 'node:fs';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import ts from 'typescript';

// Resolves as tsc and tsx do: `./x.js` is `./x.ts`, a workspace package is its `source` export.
const resolver = createNodeResolver({
  extensions: ['.ts', '.vue', '.js', '.json'],
  extensionAlias: { '.js': ['.ts', '.js'] },
  conditionNames: ['source', 'import', 'default'],
});

/** Each file's imports inside this repository, type-only ones included; read again only when the file changed. */
const importsOf = new Map();
function localImports(file) {
  let changedAt;
  let text;
  try {
    changedAt = statSync(file).mtimeMs;
    const cached = importsOf.get(file);
    if (cached?.changedAt === changedAt) return cached.found;
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const found = [];
  importsOf.set(file, { changedAt, found });
  if (file.endsWith('.vue')) text = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const resolved = resolver.resolve(statement.moduleSpecifier.text, file);
      if (resolved.found && resolved.path && !resolved.path.includes('/node_modules/')) found.push(resolved.path);
    }
  }
  return found;
}

/** The route from `from` back to `to` through any imports, or undefined. */
function routeBack(from, to) {
  const seen = new Set([from]);
  const queue = [[from]];
  while (queue.length) {
    const route = queue.shift();
    for (const next of localImports(route.at(-1))) {
      if (next === to) return route;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([...route, next]);
      }
    }
  }
  return undefined;
}

/**
 * import-x/no-cycle skips type-only imports (they are erased), but a cycle through one still ties two modules into
 * one: this rule reports a type-only import whose target leads back to the importing file.
 */
const noTypeImportCycle = {
  meta: { type: 'problem', messages: { cycle: 'Import cycle through a type-only import: {{route}}' }, schema: [] },
  create(context) {
    const file = context.physicalFilename;
    const check = (node) => {
      const typeOnly = node.importKind === 'type' || node.exportKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
      if (!typeOnly || !node.source) return;
      const target = resolver.resolve(node.source.value, file);
      if (!target.found || !target.path || target.path.includes('/node_modules/')) return;
      const route = routeBack(target.path, file);
      if (route) context.report({ node, messageId: 'cycle', data: { route: [file, ...route, file].map((f) => f.replace(`${process.cwd()}/`, '')).join(' -> ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in a config.ts (STYLE rule 1).' },
      ],
    },
  },
  // No import cycles in the services or the SPA: a cycle means two modules each own half of one job.
  {
    files: ['services/**/*.{ts,vue}', 'web/**/*.{ts,vue}'],
    plugins: { 'import-x': importX, local: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
    settings: { 'import-x/extensions': ['.ts', '.vue', '.js'], 'import-x/resolver-next': [resolver] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'local/no-type-import-cycle': 'error',
    },
  },
  {
    files: ['**/config.ts', '**/*.spec.ts', '**/test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The SPA: Vue's recommended rules, TypeScript inside <script setup>, browser globals.
  ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files: ['web/**/*.{ts,vue}'] })),
  {
    files: ['web/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: {
      // Prettier-style formatting is not this linter's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/multi-word-component-names': 'off',
    },
  },
);
