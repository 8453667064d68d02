#!/usr/bin/perl
# Mail::DMARC's half of the differential test (tests/integration/dmarc_diff.sh):
# the same "kind<TAB>input" lines as tests/tools/dmarc_probe.cc, answered by
# Debian's libmail-dmarc-perl (RFC 7489) in the same normalized form.
# Usage: dmarc_probe.pl PSL_FILE < cases
use strict;
use warnings;
use Mail::DMARC::PurePerl;
use Mail::DMARC::Policy;
use Mail::DMARC::Report::URI;

binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';
local $SIG{__WARN__} = sub { };    # Policy::parse warns about odd tags

my $psl = shift @ARGV or die "usage: dmarc_probe.pl PSL_FILE\n";
my $dmarc = Mail::DMARC::PurePerl->new;
$dmarc->config->{dns}{public_suffix_list} = $psl;

# Mirrors Mail::DMARC::PurePerl::discover_policy after the DNS step, without the
# external-destination DNS check of has_valid_reporting_uri (offline).
sub record_result {
    my ($txt) = @_;
    my $pol = eval { Mail::DMARC::Policy->new($txt) };
    if ( !$pol ) {
        return 'notdmarc' if $@ =~ /version/;
        return 'unusable';
    }
    my $uris = sub { my $r = shift; return $r ? eval { Mail::DMARC::Report::URI->new->parse($r) } || [] : [] };
    if ( !$pol->p || !$pol->is_valid_p( $pol->p )
        || ( defined $pol->sp && !$pol->is_valid_p( $pol->sp ) ) )
    {
        return 'unusable' if !@{ $uris->( $pol->rua ) };
        $pol->{p} = 'none';
    }
    my $rua = join ',', map { "$_->{uri}!$_->{max_bytes}" } @{ $uris->( $pol->rua ) };
    return sprintf 'p=%s sp=%s adkim=%s aspf=%s pct=%s rua=%s', lc $pol->p,
        defined $pol->sp ? lc $pol->sp : '-', lc( $pol->adkim // 'r' ), lc( $pol->aspf // 'r' ),
        $pol->pct // '-', $rua eq '' ? '-' : $rua;
}

while ( my $line = <STDIN> ) {
    chomp $line;
    next if $line eq '' || $line =~ /^#/;
    my ( $kind, $input ) = split /\t/, $line, 2;
    my $result;
    if ( $kind eq 'record' ) {
        $result = record_result($input);
    }
    elsif ( $kind eq 'org' ) {
        $result = eval { $dmarc->get_organizational_domain( lc $input ) } // "error: $@";
        $result =~ s/\s+$//;
    }
    else { die "unknown kind $kind\n" }
    print "$kind\t$input\t$result\n";
}
