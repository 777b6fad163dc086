import { defineConfig } from 'vite';

// The storefront lives under /shop/ on the API's origin (npm start, and CloudFront in AWS).
export default defineConfig({
  base: '/shop/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
});
