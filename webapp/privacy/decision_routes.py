"""The leader's decision on a request for erasure or restriction, and carrying it out (#13 item 2)."""
