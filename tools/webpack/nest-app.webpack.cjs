const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { PrunePackageJsonPlugin } = require('./prune-package-json.plugin.cjs');

/**
 * Webpack settings shared by every Nest app: one bundle per app at dist/apps/<name>/main.js with
 * the libs inlined and npm packages left external, plus a package.json + lock file listing only the
 * packages that app imports (the Docker runtime stage installs exactly those).
 * HTTP apps also get healthcheck.js, the probe that the image's HEALTHCHECK runs.
 * `runtimeDependencies`: packages a dependency loads by name at run time (not seen in the bundle).
 */
module.exports = function nestAppWebpackConfig(appDir, { http, runtimeDependencies = [] }) {
  const name = appDir.split(/[\\/]/).pop();
  return {
    output: { path: join(__dirname, '../../dist/apps', name), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        additionalEntryPoints: http
          ? [{ entryName: 'healthcheck', entryPath: join(__dirname, '../../libs/health/src/probe.main.ts') }]
          : [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
      new PrunePackageJsonPlugin({ keep: runtimeDependencies }),
    ],
  };
};
