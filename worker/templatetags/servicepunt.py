"""`{% servicepunt as contact %}`: the Servicepunt's contact details in templates rendered
without a request (e-mails), where the context processor does not run."""

from django import template

from worker import contact

register = template.Library()


@register.simple_tag
def servicepunt():
    return contact.current()
