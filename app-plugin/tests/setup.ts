// The same jsdom setup as the data source's tests.
import '@hydra/plugin-kit/testing/jsdom-setup';
