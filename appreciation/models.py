"""Rules per year, requests and their state machines: filled by the waardering issue."""
