const { createHash } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { PrunePackageJsonPlugin, installedVersion, packageNameOf } = require('./prune-package-json.plugin.cjs');

const workspaceRoot = join(__dirname, '../..');

/**
 * The app's npm packages in a chunk of their own (vendor.js, loaded by main.js): a change to the
 * app's code re-minifies and re-maps main.js only, and webpack's cache hands back vendor.js as it
 * was (greeting-server after a one-line change: ~5 s instead of ~9 s here). Only for main: the
 * healthcheck probe, run every few seconds, keeps the few modules it needs to itself.
 */
const VENDOR_CHUNK = {
  test: /[\\/]node_modules[\\/]/,
  name: 'vendor',
  chunks: (chunk) => chunk.name === 'main',
  enforce: true,
};

/**
 * Adjusts what NxAppWebpackPlugin set (so it runs after it):
 * - Nx turns webpack's Node globals handling off (`node: false`), which leaves
 *   `import.meta.dirname` from ESM packages in the CommonJS bundle, a syntax error there.
 *   'eval-only' rewrites it to `__dirname` and leaves `__dirname` itself to Node.
 * - Minifies with esbuild, whitespace and syntax only: identifiers keep their names, because Nest
 *   shows class names in logs and errors and @nestjs/swagger names schemas after them. Terser took
 *   ~17 of a build's ~27 s and esbuild takes ~1 s. esbuild's other way to keep names (`keepNames`,
 *   with identifiers mangled) wraps every function and class in a naming call, including the
 *   closures created on each request: greeting-server served ~17 % fewer req/s with it (median
 *   12.7k vs 15.0k, 5 alternating rounds, docs/reports/benchmarks.md); this bundle is larger (3.1 vs 2.2 MB
 *   for greeting-server) and starts as fast (median 344 vs 333 ms to live, 7 runs each).
 *   ASCII output (`\u` escapes): one character above U+00FF (zod's locales have many) made V8 keep
 *   the whole source in memory as UTF-16, twice its size (users-consumer: 9 MB of heap, not 4.6).
 *   SWC's minifier broke Nest's classes that read their own name in a static field
 *   (InstanceWrapper: "Cannot access before initialization").
 */
class NodeBundlePlugin {
  apply(compiler) {
    compiler.options.optimization.splitChunks = {
      cacheGroups: { default: false, defaultVendors: false, vendor: VENDOR_CHUNK },
    };
    compiler.options.node = { global: false, __dirname: 'eval-only', __filename: 'eval-only' };
    const TerserPlugin = require('terser-webpack-plugin');
    compiler.options.optimization.minimizer = [
      new TerserPlugin({
        minify: TerserPlugin.esbuildMinify,
        extractComments: false,
        terserOptions: {
          minify: false,
          minifyWhitespace: true,
          minifySyntax: true,
          minifyIdentifiers: false,
          legalComments: 'none',
          target: 'node24',
          charset: 'ascii',
        },
      }),
    ];
  }
}

/**
 * The cache's key for these settings. NxAppWebpackPlugin sets the cache option after webpack has
 * normalized the config, too late for webpack's own way (`buildDependencies`, left empty: its
 * normalized form): a change to any file here discards the cache instead.
 */
function configVersion() {
  const hash = createHash('sha256');
  for (const file of readdirSync(__dirname).sort()) hash.update(file).update(readFileSync(join(__dirname, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Webpack settings shared by every Nest app: one bundle per app at dist/apps/<name>/main.js (the
 * app and its libs) with vendor.js beside it (the npm packages, inlined), plus a package.json + lock
 * file listing only the packages left outside the bundle (the Docker runtime stage installs exactly
 * those). Start-up is why the packages are inlined: loading Nest 12's ESM files one by one (resolve,
 * stat, read, compile each) was most of the start; two files take a fraction of that (docs/decisions.md).
 * `external`: packages that must stay in node_modules — native addons, packages that load files or
 *   drivers by name at run time. Packages a dependency imports but that are not installed (Nest's
 *   optional microservices/websockets/validation) also stay external: the import fails at run time
 *   and the dependency falls back, as it would unbundled.
 * HTTP apps also get healthcheck.js, the probe that the image's HEALTHCHECK runs.
 */
module.exports = function nestAppWebpackConfig(appDir, { http, external = [] }) {
  const name = appDir.split(/[\\/]/).pop();
  // `nx serve` builds with the development configuration (NODE_ENV=development): no minifying, and
  // webpack's memory cache, so a rebuild after a change recompiles only what changed.
  const minify = process.env.NODE_ENV !== 'development';
  const kept = new Set(external);
  return {
    output: { path: join(__dirname, '../../dist/apps', name), clean: true },
    devtool: 'nosources-source-map',
    // Some packages publish source maps that point at .ts files they do not ship.
    ignoreWarnings: [
      /Failed to parse source map/,
      // Nest's package loaders fall back to import(name) when no loader function is given; every
      // call on our path passes one (a static import() that webpack bundles).
      { module: /node_modules[\\/]@nestjs[\\/]/, message: /Critical dependency: the request of a dependency is an expression/ },
    ],
    externals: [
      ({ request }, callback) => {
        if (!request || request.startsWith('.') || request.startsWith('/') || request.startsWith('node:')) return callback();
        if (request.startsWith('@desafios/')) return callback();
        const pkg = packageNameOf(request);
        if (kept.has(pkg) || !installedVersion(pkg, workspaceRoot)) return callback(null, `commonjs ${request}`);
        return callback();
      },
    ],
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        // Types are checked once, by each project's typecheck target (npm test, CI); a bundle only
        // needs the code transpiled (a type check took ~3 s of each build).
        skipTypeChecking: true,
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        additionalEntryPoints: http
          ? [{ entryName: 'healthcheck', entryPath: join(__dirname, '../../libs/health/src/probe.main.ts') }]
          : [],
        externalDependencies: 'none',
        mergeExternals: true,
        optimization: minify,
        // In watch mode (`nx serve`) keep the module graph between rebuilds: only what changed is recompiled.
        // Otherwise keep it on disk under .nx/ (a BuildKit cache mount in docker/Dockerfile): after a
        // one-line change webpack re-reads that file, not the ~1,500 modules of Nest and Fastify.
        cache: minify
          ? { type: 'filesystem', cacheDirectory: join(workspaceRoot, '.nx/webpack', name), version: configVersion(), buildDependencies: {} }
          : { type: 'memory' },
        outputHashing: 'none',
        generatePackageJson: true,
        // Maps without the sources: --enable-source-maps (nx serve; NODE_OPTIONS in an image, which runs
        // without it) still turns a stack trace into file:line of the TypeScript, and the image does not
        // carry the code twice (greeting-server's dist: 13.4 → 6.2 MB).
        sourceMap: 'nosources-source-map',
      }),
      new PrunePackageJsonPlugin(),
      new NodeBundlePlugin(),
    ],
  };
};
