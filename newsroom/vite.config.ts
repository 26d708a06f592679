import { defineConfig } from 'vite'

// Run as `vite build newsroom` from the repository root: this folder is Vite's root and
// the app is served by the Fastify server at /newsroom/ from dist/newsroom.
export default defineConfig({
  base: '/newsroom/',
  // JSX through Vite's own transform with Preact's runtime: no Babel, so the build stays fast.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npx vite newsroom` serves the app with live reload; the API and media come from `npm start`.
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/media': 'http://127.0.0.1:3000' },
  },
  build: {
    outDir: '../dist/newsroom',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed file names get a year-long immutable cache; only index.html is revalidated.
    assetsDir: 'assets',
    // No asset is inlined as a data: URI, so the CSP stays simple.
    assetsInlineLimit: 0,
  },
})
