// The same jsdom setup as the data source's tests.
import '@hydra/plugin-kit/testing/jsdom-setup';
import { configure } from '@testing-library/react';

// The pages wait on a real server, which a loaded machine answers in seconds, not the default one.
configure({ asyncUtilTimeout: 10_000 });
