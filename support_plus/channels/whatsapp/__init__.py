"""WhatsApp through Meta's WhatsApp Cloud API: the webhook (webhook.py), what an inbound message becomes
(inbound.py), replies and status notifications going out (outbound.py), the Graph API calls (graph.py).
Settings: the Support WhatsApp Settings doctype."""
