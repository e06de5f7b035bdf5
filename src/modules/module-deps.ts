import type { SecretBox } from '../common/crypto';
import type { ProviderRegistry } from '../providers/registry';

/** What services need besides their EntityManager; created once per process. */
export interface ModuleDeps {
  secrets: SecretBox;
  providers: ProviderRegistry;
  /** Public base URL of this gateway (PUBLIC_URL), for the OAuth redirect URI. */
  publicUrl: string;
  /** How long an OAuth `state` stays valid. */
  oauthStateTtlMinutes: number;
}
