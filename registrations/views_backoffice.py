"""Back office pages about caregivers. Being built: see the Registrations issue."""

from django.http import Http404

from mantelzorg.staff_access import staff_required


@staff_required
def caregiver_list(request):
    raise Http404
