import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { ApiKey, createApi } from './api/index.js';
import { createHttpClient } from './api/http-client.js';
import { createAppRouter, leaveEndedSession } from './router.js';
import './styles/main.css';

const router = createAppRouter();
const api = createApi(createHttpClient('/api', undefined, { onUnauthenticated: () => leaveEndedSession(router) }));

// Pinia before the router: the router's first navigation asks the session store who is signed in.
createApp(App).provide(ApiKey, api).use(createPinia()).use(router).mount('#app');
