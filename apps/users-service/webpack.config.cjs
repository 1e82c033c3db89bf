module.exports = require('../../tools/webpack/nest-app.webpack.cjs')(__dirname, {
  http: true,
  // The Swagger UI's files are read from this package's folder at run time.
  external: ['swagger-ui-dist'],
});
