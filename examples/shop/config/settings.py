INSTALLED_APPS = ["apps.billing", "apps.orders", "apps.legacy"]
