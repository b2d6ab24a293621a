import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app on :5173 and forwards the server's paths to a Mason on :8000
// (MASON_URL overrides). Maven builds with --outDir target/classes/web (see build.sh).
const mason = process.env.MASON_URL ?? "http://localhost:8000";
// Mason refuses changes from a foreign Origin; to Mason the dev server's pages come from Mason itself.
const forward = { target: mason, changeOrigin: true, headers: { origin: mason } };

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
      "/api": forward,
      "/mcp": forward,
      "/health": forward,
      "/ws": { ...forward, ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
