module.exports = require('../../tools/webpack/nest-app.webpack.cjs')(__dirname, {
  http: true,
  // TypeORM loads its driver (pg) by name at run time.
  external: ['typeorm', 'pg'],
});
