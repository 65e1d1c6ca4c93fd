"""Handoffs (pelimpahan) of authority over a case between agencies, and shares (tembusan)."""
