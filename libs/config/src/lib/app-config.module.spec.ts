import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from './app-config.module';
import { APP_CONFIG } from './app-config.token';

@Injectable()
class Reader {
  constructor(@Inject(APP_CONFIG) readonly config: { PORT: number }) {}
}

// A feature module that does not import AppConfigModule itself: the config is global.
@Module({ providers: [Reader], exports: [Reader] })
class FeatureModule {}

describe('AppConfigModule.forRoot', () => {
  it('provides the given config under APP_CONFIG to every module of the app', async () => {
    const config = { PORT: 8080 };
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), FeatureModule],
    }).compile();
    expect(moduleRef.get(Reader).config).toBe(config);
    await moduleRef.close();
  });
});
