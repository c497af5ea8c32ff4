"""Chat-like channels: conversations (one model for web chat, WhatsApp and SMS), WhatsApp's Cloud API,
SMS status notifications."""
