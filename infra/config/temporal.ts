/**
 * How the service authenticates to Temporal: TLS (server-only or mTLS) and/or a Temporal Cloud API
 * key, from the TEMPORAL_TLS* / TEMPORAL_API_KEY variables. The certificate files are read here,
 * once at start, so a missing or unreadable file is a configuration problem naming its variable
 * rather than a connection failure later. `infra/temporal/connection-options.ts` turns the result
 * into the options of both Temporal connections.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigProblem } from './problems.js';
import type { EnvConfig } from './schema.js';

/** TLS settings with the files already read (PEM bytes). `clientCertPair.key` is a secret. */
export interface TemporalTlsConfig {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
  /** Absolute paths the PEM bytes came from, for log lines and messages. */
  files: { clientCert?: string; clientKey?: string; serverCaCert?: string };
}

/** The TLS/authentication part of `ServiceConfig`. */
export interface TemporalAuthConfig {
  /** null = plaintext (the default without any TLS variable or API key). */
  temporalTls: TemporalTlsConfig | null;
  /** TEMPORAL_API_KEY; a secret (the logger redacts `temporalApiKey`). */
  temporalApiKey: string | undefined;
}

type TlsEnv = Pick<
  EnvConfig,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CLIENT_CERT_PATH'
  | 'TEMPORAL_TLS_CLIENT_KEY_PATH'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

const TLS_VARIABLES = [
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

/**
 * Resolves TLS and the API key from validated variables, reading the PEM files relative to `cwd`.
 * Appends a problem (naming the variable, and the path for files) for each inconsistency or
 * unreadable file; returns plaintext settings when there were problems.
 */
export function resolveTemporalAuth(e: TlsEnv, cwd: string, problems: ConfigProblem[]): TemporalAuthConfig {
  const before = problems.length;
  const cert = e.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = e.TEMPORAL_TLS_CLIENT_KEY_PATH;
  if (cert && !key) {
    problems.push({
      where: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
      message: 'is unset but TEMPORAL_TLS_CLIENT_CERT_PATH is set: mTLS needs the certificate and its private key; set both or neither',
    });
  }
  if (key && !cert) {
    problems.push({
      where: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
      message: 'is unset but TEMPORAL_TLS_CLIENT_KEY_PATH is set: mTLS needs the certificate and its private key; set both or neither',
    });
  }

  const tlsVarsSet = TLS_VARIABLES.filter((name) => e[name] !== undefined);
  if (e.TEMPORAL_TLS === false && tlsVarsSet.length > 0) {
    problems.push({
      where: 'TEMPORAL_TLS',
      message: `is false but ${tlsVarsSet.join(', ')} ${tlsVarsSet.length === 1 ? 'is' : 'are'} set: unset TEMPORAL_TLS (TLS is then on) or unset ${tlsVarsSet.length === 1 ? 'that variable' : 'those variables'}`,
    });
  }
  // An explicit TEMPORAL_TLS=false with an API key is allowed (a plaintext sidecar proxy that adds TLS).
  const tlsOn = e.TEMPORAL_TLS ?? (tlsVarsSet.length > 0 || e.TEMPORAL_API_KEY !== undefined);
  if ((tlsOn || e.TEMPORAL_API_KEY !== undefined) && !e.TEMPORAL_ADDRESS) {
    const what = [...tlsVarsSet, ...(e.TEMPORAL_TLS ? ['TEMPORAL_TLS'] : []), ...(e.TEMPORAL_API_KEY !== undefined ? ['TEMPORAL_API_KEY'] : [])];
    problems.push({
      where: 'TEMPORAL_ADDRESS',
      message: `is unset but ${what.join(', ')} ${what.length === 1 ? 'is' : 'are'} set: set TEMPORAL_ADDRESS to your cluster's host:port (the embedded dev server is plaintext without authentication), or unset ${what.length === 1 ? 'it' : 'them'}`,
    });
  }

  let tls: TemporalTlsConfig | null = null;
  if (tlsOn) {
    tls = { files: {} };
    const crt = cert ? readPem('TEMPORAL_TLS_CLIENT_CERT_PATH', cert, 'certificate', cwd, problems) : undefined;
    const pk = key ? readPem('TEMPORAL_TLS_CLIENT_KEY_PATH', key, 'private key', cwd, problems) : undefined;
    if (crt && pk) {
      tls.clientCertPair = { crt: crt.bytes, key: pk.bytes };
      tls.files.clientCert = crt.file;
      tls.files.clientKey = pk.file;
    }
    const ca = e.TEMPORAL_TLS_SERVER_CA_CERT_PATH;
    const caPem = ca ? readPem('TEMPORAL_TLS_SERVER_CA_CERT_PATH', ca, 'certificate', cwd, problems) : undefined;
    if (caPem) {
      tls.serverRootCACertificate = caPem.bytes;
      tls.files.serverCaCert = caPem.file;
    }
    if (e.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = e.TEMPORAL_TLS_SERVER_NAME;
  }
  if (problems.length > before) return { temporalTls: null, temporalApiKey: undefined };
  return { temporalTls: tls, temporalApiKey: e.TEMPORAL_API_KEY };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** Reads a PEM file; never echoes its contents in a problem. */
function readPem(
  variable: string,
  given: string,
  kind: 'certificate' | 'private key',
  cwd: string,
  problems: ConfigProblem[],
): { file: string; bytes: Buffer } | undefined {
  const file = path.resolve(cwd, given);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not readable by this user (permission denied)' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    problems.push({ where: variable, message: `${file} ${why}: point ${variable} at the PEM ${kind} file or unset it` });
    return undefined;
  }
  const text = bytes.toString('latin1');
  const wanted = kind === 'certificate' ? PEM_CERTIFICATE : PEM_PRIVATE_KEY;
  if (!wanted.test(text)) {
    const swapped = kind === 'certificate' ? PEM_PRIVATE_KEY.test(text) : PEM_CERTIFICATE.test(text);
    problems.push({
      where: variable,
      message: swapped
        ? `${file} holds a ${kind === 'certificate' ? 'private key' : 'certificate'}, not a ${kind}: are the certificate and key paths swapped?`
        : `${file} is not a PEM ${kind} (no "-----BEGIN ${kind === 'certificate' ? 'CERTIFICATE' : '… PRIVATE KEY'}-----" line): convert it to PEM (\`openssl ${kind === 'certificate' ? 'x509' : 'pkey'} -inform der -in <file> -out <file>.pem\`) or point ${variable} at the PEM file`,
    });
    return undefined;
  }
  return { file, bytes };
}
