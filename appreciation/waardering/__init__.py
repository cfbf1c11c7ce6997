"""The yearly mantelzorgwaardering: asking (public, on behalf, paper forms), automatic
checks, the consulent's review, payment batches and payouts. Its models live in
appreciation/models/waardering.py."""
