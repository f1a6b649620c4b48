// The same jsdom setup as the data source's tests.
import '@hydra/datasource-plugin/testing/jsdom-setup';
