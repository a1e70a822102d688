import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The bundle is served by Django (whitenoise) under /static/: dist/ is one of its
// STATICFILES_DIRS, and dist/index.html is what Django answers for every page of the app.
export default defineConfig({
  base: "/static/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    // `npm run dev` beside `make run`: the API and the session come from Django.
    proxy: { "/api": "http://127.0.0.1:8000", "/admin": "http://127.0.0.1:8000" },
  },
  test: { environment: "node", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
