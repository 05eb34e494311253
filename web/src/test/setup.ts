import { afterEach } from 'vitest';

// Component tests run in jsdom; pure logic tests in node.
if (typeof document !== 'undefined') {
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });
}
