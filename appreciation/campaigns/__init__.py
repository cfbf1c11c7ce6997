"""Campaigns: one season's offer such as the summer zwemkaartjes or the December attentie —
stock of codes, asking, the waiting list, invitations and closing. Its models live in
appreciation/models/campaigns.py."""
