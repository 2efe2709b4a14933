// Every channel the product ships. Adding a channel: a folder beside these and one line here;
// src/app.ts registers them.
import type { Connector } from '../inbox/channels/contract';
import { apiConnector } from './api';
import { emailConnector } from './email';
import { widgetConnector } from './widget';
import { slackConnector } from './slack';
import { smsConnector } from './sms';
import { twitterConnector } from './twitter';
import { telegramConnector } from './telegram';
import { whatsappConnector } from './whatsapp';
import { instagramConnector, messengerConnector } from './meta';

export const installedConnectors: readonly Connector[] = [apiConnector, emailConnector, widgetConnector, slackConnector, smsConnector, twitterConnector, telegramConnector, whatsappConnector, messengerConnector, instagramConnector];
