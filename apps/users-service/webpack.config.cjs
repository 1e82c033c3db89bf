module.exports = require('../../tools/webpack/nest-app.webpack.cjs')(__dirname, {
  http: true,
  // @nestjs/swagger serves the Swagger UI through @fastify/static, which it loads by name.
  runtimeDependencies: ['@fastify/static'],
});
