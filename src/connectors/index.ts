// Every channel the product ships. Adding a channel: a folder beside these and one line here.
import { ConnectorRegistry } from './registry';
import { apiConnector } from './api';
import { emailConnector } from './email';
import { widgetConnector } from './widget';
import { slackConnector } from './slack';
import { smsConnector } from './sms';
import { twitterConnector } from './twitter';

export function installedConnectors(): ConnectorRegistry {
  return new ConnectorRegistry().register(apiConnector).register(emailConnector).register(widgetConnector).register(slackConnector).register(smsConnector).register(twitterConnector);
}
