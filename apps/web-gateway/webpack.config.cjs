const config = require('../../tools/webpack/nest-app.webpack.cjs')(__dirname, {
  http: true,
  // TypeORM and pg are bundled: loading TypeORM file by file from node_modules was ~300 ms of the
  // start-up. pg is handed to TypeORM as its driver (`driver: pg` in database.module.ts), so
  // TypeORM never loads it by name. The image then installs no packages for this app.
});

// TypeORM loads its optional drivers (mysql2, oracledb, mongodb, redis, ioredis, pg-native…) with
// require(name), and ormconfig files and entity/migration globs with require(path): expressions
// that webpack cannot follow, so in the bundle they throw "Cannot find module", as they would
// unbundled with those packages absent. Nothing here takes those paths: the driver is passed in,
// and entities and migrations are classes. pg's own require('pg-native') (only for `pg.native`)
// stays external because pg-native is not installed.
config.ignoreWarnings.push({
  module: /node_modules[\\/]typeorm[\\/]/,
  message: /Critical dependency: the request of a dependency is an expression/,
});

module.exports = config;
