"""Spiders: one per site profile (generated from the profile registry) and the generic one."""
