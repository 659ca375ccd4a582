import { createApp } from 'vue';
import '@attention-moa/element'; // defines <attention-moa>
import App from './App.vue';

createApp(App).mount('#app');
