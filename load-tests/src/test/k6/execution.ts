import { k6 } from './state';

export default {
  scenario: {
    get iterationInTest() {
      return k6.iterationInTest;
    },
  },
  test: {
    abort(reason?: string) {
      k6.aborted = reason ?? 'aborted';
    },
  },
};
