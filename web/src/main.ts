import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { ApiKey, createApi } from './api/index.js';
import { createAppRouter } from './router.js';
import './styles/main.css';

createApp(App).provide(ApiKey, createApi()).use(createPinia()).use(createAppRouter()).mount('#app');
