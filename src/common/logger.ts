import pino from 'pino';

/**
 * The process logger (pino, JSON lines on stdout). Secrets are redacted by key wherever they
 * appear in a logged object, as a second line of defence: code never logs them on purpose.
 */
export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'req.headers.authorization', 'credentials', '*.credentials', 'apiKey', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}

export type Logger = pino.Logger;
