"""Installable and offline: manifest, service worker and the offline page."""
