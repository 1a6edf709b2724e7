import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

/** Where the gateway serves the API reference. */
export const DOCS_PATH = '/docs';

/** swagger-ui-dist's files the page loads, served from the installed package (never a CDN); nothing else of it is. */
const SWAGGER_UI_FILES = {
  'swagger-ui.css': 'text/css',
  'index.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
} as const;

/** Ours: points Swagger UI at the API's document. The CSP has no 'unsafe-inline' for scripts, so it is a file of its own. */
const INITIALIZER = 'swagger-initializer.js';

/** Resolved through package.json: the package's index would load the whole bundle into Node. */
const swaggerUiDir = () => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

function page(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Image importer API reference</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="stylesheet" href="${DOCS_PATH}/index.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/${INITIALIZER}"></script>
  </body>
</html>
`;
}

/** BaseLayout has no URL bar to load other documents; `validatorUrl: null` keeps the badge from asking validator.swagger.io. */
function initializer(specUrl: string): string {
  return `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
  });
});
`;
}

/**
 * `/docs`: Swagger UI over the API's own OpenAPI document (`specUrl`), every file from this origin, so the gateway's
 * CSP (scripts, styles, images and fetches from 'self' only) holds for it unchanged. Any other path under it is a 404.
 */
export function apiDocsRouter({ specUrl }: { specUrl: string }): Router {
  const router = Router({ strict: false });
  const dir = swaggerUiDir();
  const html = page();
  const script = initializer(specUrl);
  router.get(DOCS_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(html);
  });
  router.get(`${DOCS_PATH}/${INITIALIZER}`, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/javascript').send(script);
  });
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    router.get(`${DOCS_PATH}/${file}`, (_req, res, next) => {
      res.type(type).sendFile(join(dir, file), { maxAge: '1h' }, (error) => error && next(error));
    });
  }
  router.all(`${DOCS_PATH}/*`, (_req, res) => {
    res.status(404).type('text/plain').send('There is no such file of the API reference.');
  });
  return router;
}
