/** Entry point of the zero-server demo: the page stylesheet and the <moa-demo> app. */
import './styles.css';
import './src/app/demo-app.js';
