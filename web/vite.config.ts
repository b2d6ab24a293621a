import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app on :5173 and forwards the server's paths to a Mason on :8000
// (MASON_URL overrides). Maven builds with --outDir target/classes/web (see build.sh).
const mason = process.env.MASON_URL ?? "http://localhost:8000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: mason, changeOrigin: true },
      "/mcp": { target: mason, changeOrigin: true },
      "/health": { target: mason, changeOrigin: true },
      "/ws": { target: mason, changeOrigin: true, ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
