"""The chat assistant: rules and our own knowledge-base search, no external AI service, so it runs offline
and answers predictably. engine.py holds the conversation's state and its steps, intents.py what a
message asks for, flows.py the Troubleshooting Flows, hours.py the support hours."""
