import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = `http://127.0.0.1:${process.env.ROLLCALL_API_PORT ?? '4000'}`;

// In development Vite serves the dashboard and forwards the API (HTTP and
// graphql-ws) to the Rollcall process; in production the API serves dist/.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': { target: apiTarget, ws: true, changeOrigin: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
