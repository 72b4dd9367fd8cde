"""Wulian (五联): the shared ledger of joint supervision."""
