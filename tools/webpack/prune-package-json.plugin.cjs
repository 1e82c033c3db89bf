const { createLockFile } = require('@nx/js');
const { readCachedProjectGraph } = require('@nx/devkit');

const { builtinModules, findPackageJSON } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const NAME = 'PrunePackageJsonPlugin';

/** The version of package `name` installed as seen from the folder `context`; undefined if it is not installed. */
function installedVersion(name, context) {
  try {
    return require(require.resolve(`${name}/package.json`, { paths: [context] })).version;
  } catch {
    // Its "exports" may hide package.json: then take the one its entry point belongs to.
    try {
      return require(findPackageJSON(name, pathToFileURL(join(context, 'index.js')))).version;
    } catch {
      return undefined;
    }
  }
}

/** "@scope/pkg/sub/path" -> "@scope/pkg", "pkg/sub" -> "pkg". */
function packageNameOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The package.json lists the packages left outside the bundle (webpack's externals).
 * Nx's generated package.json also lists the optional peer dependencies of what the app uses when
 * they happen to be installed in the workspace (for @nestjs/terminus: typeorm, @nestjs/typeorm,
 * @nestjs/axios, @nestjs/swagger…), which bloated every image (docs/decisions.md). This keeps only the packages
 * the bundle really requires (its externals) and rewrites the lock file to match.
 */
class PrunePackageJsonPlugin {
  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: NAME, stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE },
        () => {
          const asset = compilation.getAsset('package.json');
          if (!asset) return;
          const used = new Set();
          for (const module of compilation.modules) {
            if (module.constructor.name !== 'ExternalModule') continue;
            const request = Array.isArray(module.request) ? module.request[0] : module.request;
            if (typeof request === 'string') used.add(packageNameOf(request));
          }
          const packageJson = JSON.parse(asset.source.source().toString());
          const listed = packageJson.dependencies ?? {};
          const dependencies = {};
          for (const name of [...used].sort()) {
            if (builtinModules.includes(name)) continue;
            // A package only a dependency depends on (swagger-ui-dist under @nestjs/swagger) is not
            // in Nx's list: take the installed version. Not installed = an optional import the
            // bundle leaves to fail at run time, so it is not a dependency.
            const version = listed[name] ?? installedVersion(name, compiler.context);
            if (version) dependencies[name] = version;
          }
          packageJson.dependencies = dependencies;
          const lockFile = createLockFile(packageJson, readCachedProjectGraph(), 'npm');
          compilation.updateAsset('package.json', new RawSource(`${JSON.stringify(packageJson, null, 2)}\n`));
          compilation.updateAsset('package-lock.json', new RawSource(lockFile));
        },
      );
    });
  }
}

module.exports = { PrunePackageJsonPlugin, installedVersion, packageNameOf };
