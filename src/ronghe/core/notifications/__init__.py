"""Notifications: one service, `services.notify`, sends a message to people through the in-app
inbox, email and the group robots (WeCom, DingTalk) of units, at most once per rule, object,
recipient or channel and day."""
