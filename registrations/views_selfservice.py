"""Mijn gegevens (self-service). Being built: see the Registrations issue."""

from django.http import Http404


def request_link(request):
    raise Http404


def magic_link(request, token):
    raise Http404
