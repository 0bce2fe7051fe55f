"""Outbound webhooks ("RESTHooks", fact sheet §5.15, §7.1, §7.2): subscriptions, the outbox
written with the data, and the dispatcher that delivers it."""
