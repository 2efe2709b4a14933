import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The agent app. `npm start` builds it into web/dist and the server serves it; during UI
// work, `npx vite web` serves it with hot reload and forwards the API to a running server.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
