"""Web Push: subscriptions, reminders and the notifications a phone shows on its lock screen."""
