module.exports = require('../../tools/webpack/nest-app.webpack.cjs')(__dirname, {
  http: false,
  // A native addon, and the ORM that is handed it as its driver.
  external: ['typeorm', 'better-sqlite3'],
});
