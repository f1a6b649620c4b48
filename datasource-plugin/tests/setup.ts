// The same jsdom setup as the panel's tests.
import '@hydra/plugin-kit/testing/jsdom-setup';
