// Journeys start real processes and a real browser: allow them minutes, not seconds.
jest.setTimeout(180_000);
