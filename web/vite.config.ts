/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Go binary embeds dist/ and serves it; during development Vite proxies
// the API (HTTP and WebSocket) to a running `analyzer serve`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': { target: process.env.ANALYZER_URL ?? 'http://127.0.0.1:8001', ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    // A guard against a hung test, not a speed check: jsdom renders of the
    // whole workspace take seconds on a busy two-core machine.
    testTimeout: 30_000,
  },
});
