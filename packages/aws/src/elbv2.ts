import { awsClientOptions } from '@deploy-actions/toolkit';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type CountedClient, countCalls } from './ecs';

/**
 * Elastic Load Balancing v2, loaded only when a deploy needs a listener rule or a load balancer's DNS name
 * (maintenance switch, test listener URL, the `url` output). AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2
 * points it at the emulator in tests.
 */
export async function elbv2Client(region: string): Promise<CountedClient<ElasticLoadBalancingV2Client>> {
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  return countCalls(new ElasticLoadBalancingV2Client({ region, maxAttempts: 5, ...awsClientOptions() }));
}

/** `…:listener-rule/app/<lb>/<id>/<listener>/<rule>` → `…:listener/app/<lb>/<id>/<listener>`. */
export function listenerOfRule(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '');
}

/** The URL a listener answers on: scheme from the protocol, the port unless it is the scheme's default. */
export function listenerUrl(dnsName: string, protocol: string | undefined, port: number | undefined): string {
  const scheme = protocol === 'HTTPS' || protocol === 'TLS' ? 'https' : 'http';
  const standard = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) || port === undefined;
  return `${scheme}://${dnsName}${standard ? '' : `:${port}`}`;
}
