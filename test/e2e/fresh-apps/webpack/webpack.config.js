import HtmlWebpackPlugin from 'html-webpack-plugin';

export default {
  mode: 'production',
  entry: './src/main.js',
  output: { clean: true },
  // The one line the README asks for when an app installs only one backend: this app runs GGUF models only
  // (@wllama/wllama) and does not install WebLLM, so the worker's lazy import of it resolves to nothing.
  resolve: { alias: { '@mlc-ai/web-llm': false } },
  plugins: [new HtmlWebpackPlugin({ template: './src/index.html' })],
};
